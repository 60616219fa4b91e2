import sys
from pathlib import Path

# The tests import aviary_train from train/, wherever pytest is started.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
