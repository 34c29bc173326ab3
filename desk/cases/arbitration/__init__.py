"""The worker's 劳动仲裁申请书, drafted from the case for the lawyer who holds it.

facts (what the draft needs and where each fact comes from) → claims (each amount from
desk.legal.calculators, each with its articles and time-limit check) → commissions (第二十一条)
→ document (the DOCX, with its 证据清单, and a 支付令申请书 when an IOU backs the wages) →
drafts (stored versions; the lawyer reviews, then sends) → commands (/draft, /senddraft).
"""
