"""rasa-sdk custom actions, one per module. They stay thin: parse the tracker,
ask the knowledge layer, format the reply."""
