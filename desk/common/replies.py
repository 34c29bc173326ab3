"""What the gateway says on its own, without Rasa: the same words in every channel."""

from __future__ import annotations

from dataclasses import dataclass

RASA_UNAVAILABLE = (
    "抱歉，服务台暂时忙不过来，请过一两分钟再发一次。您的问题很重要，我们不会让它落下。"
)
EMPTY_MESSAGE = "您好像发了一条空消息。请用文字告诉我您遇到的问题，或者发送「帮助」查看服务菜单。"
NON_TEXT = (
    "抱歉，我目前只能看懂文字消息，还看不了图片、语音和表情。请把您的问题用文字发给我，"
    "或者发送「帮助」查看服务菜单。"
)
MESSAGE_SHORTENED = (
    "您的消息比较长，我先看了前面的 {limit} 个字。如果重要内容在后面，请分几条发给我。"
)
TOO_FAST = "您发得太快了，刚才的几条我没来得及看。请稍等十几秒，再把要说的话合成一条发给我。"
NO_REPLY = "抱歉，我没能理解这条消息。您可以换个说法，或者发送「帮助」查看服务菜单。"
NOTHING_TO_CANCEL = "好的。现在没有正在办理的事项，需要时随时找我。"


@dataclass(frozen=True)
class Reply:
    """A message the core wants sent back to whoever wrote, with (title, payload) buttons."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()
