"""Whether a message typed while a form waits for an answer answers the question, or is
something else the worker wants: a legal question, a lawyer, to stop, to correct an earlier answer.

The intent classifier hears each message on its own; the form knows what it just asked. So:
- an answer the question's check accepts wins over the intent (家里没收入了 answers "全家每个月
  一共有多少收入？" whatever the classifier made of it); only where the check takes almost any
  text (a name, an employer) does a message that reads as a question or a request still go to
  the intent;
- a form stops only for clear words of stopping (取消, 不办了), never for a bare 没有 or 不要 the
  classifier happened to call "cancel";
- a reply the question rejects is still an answer when it sounds like one (不清楚, 没多少, 十几):
  the worker is told what the question needs rather than handed to the legal desk.
"""

from __future__ import annotations

import re
from enum import StrEnum

from desk.common.text import fold, folded_answer

CANCEL = "cancel"
# The intents that may interrupt a form, by default; a form may narrow them (the lawyer's intake
# takes a worker's story, which reads like a legal question, as its answer).
INTERRUPTING = frozenset({CANCEL, "ask_legal", "request_human", "help", "change_field"})


class Heard(StrEnum):
    ANSWER = "answer"  # check it and keep it, or say what was wrong
    INTERRUPTION = "interruption"  # leave the slot empty: the rule for the intent takes the turn


# Words that always mean "stop this application".
_STOP = re.compile(
    r"取消|退出|不办了|不申请了?|不想(?:办|申请|填|弄|搞)了?|不填了|不弄了|不搞了|不入了|"
    r"停止|结束|放弃|别问了|不问了|不要问了|cancel|quit|stop"
)
# Words that mean stop only where they do not answer the question (算了 skips the phone).
_STOP_IF_NO_ANSWER = re.compile(r"^(?:算了|不要了|不用了|不要|先这样)(?:吧|吧算了)?$|算了")
# A request for something else than the answer: a lawyer, the menu, correcting an answer.
_REQUEST = re.compile(
    r"转人工|人工|律师|客服|真人|菜单|帮助|主页|修改|改一下|改成|填错|写错|输错|说错|改(?:手机|电话|姓名|名字|身份证|地址|区县|单位|职业|收入|单量)"
)
_QUESTION = re.compile(
    r"[?？]|吗|怎么|怎样|咋|为什么|为啥|如何|能不能|可不可以|是不是|有没有|会不会|算不算|要不要|"
    r"请问|想问|咨询|问一下|多少钱|几倍|哪些|是什么|叫什么|什么意思|什么时候|什么情况|违法|合法"
)
# A labour problem told as a statement: 老板拖欠工资, 被辞退了 (not an employer's name).
_LABOUR_PROBLEM = re.compile(
    r"拖欠|欠薪|欠(?:我|了)|克扣|辞退|开除|解雇|赔偿|补偿|工伤|加班费|社保|仲裁|劳动合同|劳动法"
)
# Replies that are answers even when the question cannot take them as they are.
_UNSURE = re.compile(r"不知道|不清楚|不记得|记不清|忘了|说不清|不确定|不晓得|没数|不太清楚")
_ANSWER_LIKE = re.compile(
    r"没|无|零|大概|大约|左右|差不多|估计|多|几|来|[0-9]|[一二两三四五六七八九十百千万]"
)
SHORT_ANSWER_CHARS = 8


def says_stop(text: str) -> bool:
    """Clear words of stopping the application: 取消, 不办了, 退出."""
    return bool(_STOP.search(folded_answer(text)))


def reads_as_request(text: str) -> bool:
    """A question, or a request for something other than an answer (转人工, 改手机号)."""
    compact = _compact(text)
    return bool(_REQUEST.search(compact) or _QUESTION.search(compact))


def reads_as_question(text: str) -> bool:
    """加班费怎么算, 能赔多少？: a question, whatever it asks."""
    return bool(_QUESTION.search(_compact(text)))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))  # the question mark at the end is kept


def sounds_like_answer(text: str) -> bool:
    """不清楚, 没多少, 十几, 大概吧: a reply to the question, even one it cannot take."""
    folded = folded_answer(text)
    if _UNSURE.search(folded):
        return True
    return len(folded) <= SHORT_ANSWER_CHARS and bool(_ANSWER_LIKE.search(folded))


def heard(
    intent: str | None,
    text: str,
    *,
    accepted: bool,
    free_text: bool = False,
    interrupting: frozenset[str] = INTERRUPTING,
) -> Heard:
    """What a message sent while a question waits is: its answer, or an interruption.

    accepted: the question's check takes the message. free_text: the check takes nearly any
    text (a name, an employer, a story), so its accepting says little about what was meant.
    """
    if intent not in interrupting:
        return Heard.ANSWER
    folded = folded_answer(text)
    if intent == CANCEL:
        if says_stop(text):
            return Heard.INTERRUPTION
        stop_words = bool(_STOP_IF_NO_ANSWER.search(folded))
        return Heard.INTERRUPTION if stop_words and (free_text or not accepted) else Heard.ANSWER
    if accepted and not free_text:
        return Heard.ANSWER
    if reads_as_request(text):
        return Heard.INTERRUPTION
    if accepted:
        return Heard.INTERRUPTION if _LABOUR_PROBLEM.search(folded) else Heard.ANSWER
    return Heard.ANSWER if sounds_like_answer(text) else Heard.INTERRUPTION
