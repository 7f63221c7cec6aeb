"""The citizen's conversation on Zalo, in Vietnamese.

`handlers.conversation.dispatch` registers `converse` on `handlers.inbound.router`; the
process imports it where it wires the router (bot.runtime). Its jobs are in `jobs.JOBS`.
"""
