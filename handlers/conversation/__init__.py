"""The citizen's conversation on Zalo, in Vietnamese.

Importing this package registers `converse` on `handlers.inbound.router` and the jobs
`conversation-flush` and `drafts-expire`. Wire `ConversationConfig.from_settings(settings)`
as `services["conversation"]` of the inbound processor and of the job context.
"""

from handlers.conversation import jobs
from handlers.conversation.config import ConversationConfig
from handlers.conversation.dispatch import converse
from handlers.conversation.jobs import flush
from handlers.conversation.tick import due_conversations, flush_one

__all__ = ["ConversationConfig", "converse", "due_conversations", "flush", "flush_one", "jobs"]
