"""The Rasa action server: thin adapters from Rasa's trackers to the core (desk/)."""
