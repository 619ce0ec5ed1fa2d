"""Runtime glue for the assistant: settings, clock, launcher, channels, NLU components."""
