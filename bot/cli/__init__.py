"""The command line (`python -m bot ...`): serve, worker, update, add, classify, check-config, receive."""
