"""The agents' chat desk: the handover queue and one conversation's transcript, with take,
reply and hand back. Staff pages at /staff/chats/ ("chats" namespace)."""
