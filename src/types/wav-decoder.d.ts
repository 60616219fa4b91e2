declare module 'wav-decoder' {
  interface Decoded {
    sampleRate: number;
    channelData: Float32Array[];
  }
  interface Decode {
    (buffer: ArrayBuffer | Buffer, opts?: { symmetric?: boolean }): Promise<Decoded>;
    sync(buffer: ArrayBuffer | Buffer, opts?: { symmetric?: boolean }): Decoded;
  }
  const WavDecoder: { decode: Decode };
  export default WavDecoder;
}
