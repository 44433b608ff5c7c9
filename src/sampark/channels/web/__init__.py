"""Web chat on the public site (/chat/): the chatbot for visitors of the utility's website.

The page works with plain form posts; its script (static/channels/chat.js) adds a small JSON API
for sending without a reload and for fetching agents' replies.
"""
