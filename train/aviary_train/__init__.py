"""aviary's model side: data, front-end, models, losses, training and export."""
