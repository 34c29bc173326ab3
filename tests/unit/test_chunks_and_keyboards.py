import pytest

from bot.chunks import split_text
from bot.keyboards import CALLBACK_DATA_LIMIT, PayloadStore, inline_keyboard
from bot.messages import Button


def test_short_text_is_one_chunk() -> None:
    assert split_text("你好") == ["你好"]


def test_long_text_is_split_under_the_limit_at_line_breaks() -> None:
    paragraph = "劳动者有权依法获得劳动报酬。" * 40  # 560 characters
    text = "\n\n".join([paragraph] * 20)  # about 11,000 characters
    chunks = split_text(text, 4096)
    assert len(chunks) == 3
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert all(chunk.endswith("。") for chunk in chunks)
    assert "".join(chunks).replace("\n", "") == text.replace("\n", "")


def test_text_without_breaks_is_still_split() -> None:
    chunks = split_text("欠" * 9000, 4096)
    assert [len(chunk) for chunk in chunks] == [4096, 4096, 808]


CHAT = 7001


def test_long_payloads_travel_as_tokens_and_come_back() -> None:
    store = PayloadStore()
    long_payload = '/choose_topic{"faq_id":"' + "x" * 80 + '"}'
    data = store.to_callback_data(long_payload, CHAT)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    assert store.to_payload(data, CHAT) == long_payload
    assert store.to_callback_data("/help", CHAT) == "/help"
    assert store.to_payload("#unknown", CHAT) is None


def test_store_forgets_the_oldest_beyond_capacity() -> None:
    store = PayloadStore(capacity=2)
    tokens = [store.to_callback_data("/" + str(i) * 70, CHAT) for i in range(3)]
    assert store.to_payload(tokens[0], CHAT) is None
    assert store.to_payload(tokens[2], CHAT) == "/" + "2" * 70


@pytest.mark.parametrize(
    "forged",
    [
        '/inform{"m_id_number": "110105199001011234"}',
        '/affirm{"m_consent": true}',
        '/choose_faq{"faq_id": "x", "h_phone": "1"}',
        "/restart",
        "/ /我叫张三 13912345678",
        "我叫张三，身份证110105199001011234",
        "#" + "0" * 24,
    ],
)
def test_forged_callback_data_is_refused(forged: str) -> None:
    assert PayloadStore().to_payload(forged, CHAT) is None


def test_a_payload_counts_only_in_the_chat_it_was_issued_to() -> None:
    store = PayloadStore()
    faq = '/choose_faq{"faq_id": "si-five-types"}'
    assert store.to_payload(store.to_callback_data(faq, CHAT), CHAT) == faq
    assert store.to_payload(store.to_callback_data("美团", CHAT), CHAT) == "美团"
    assert store.to_payload(faq, CHAT + 1) is None
    assert store.to_payload("美团", CHAT + 1) is None


@pytest.mark.parametrize("fixed", ["/affirm", "/apply_membership", "ticket:take:12"])
def test_fixed_payloads_survive_a_restart_of_the_gateway(fixed: str) -> None:
    assert PayloadStore().to_payload(fixed, CHAT) == fixed


def test_short_buttons_pair_up_in_rows() -> None:
    buttons = tuple(
        Button(t, f"/{i}") for i, t in enumerate(["法律咨询", "申请入会", "一个很长很长的按钮标题"])
    )
    markup = inline_keyboard(buttons, PayloadStore(), CHAT)
    assert markup is not None
    assert [[key.text for key in row] for row in markup.inline_keyboard] == [
        ["法律咨询", "申请入会"],
        ["一个很长很长的按钮标题"],
    ]
    assert inline_keyboard((), PayloadStore(), CHAT) is None
