"""Messaging channels: Telegram, Messenger, Twilio (SMS and WhatsApp), Slack and a
generic callback. Each is switched on by its environment variables
(bot.settings.CHANNELS, bot/credentials.py); what they share is in base.py."""
