"""The WeChat 公众号 channel: the `/wechat` endpoint on the web chat's port (signatures, 安全模式
encryption, passive replies), the 客服消息 API for what is not ready within WeChat's five
seconds and for the outbox's notices, and the 自定义菜单. Everything goes through the Gateway.

wechatpy does the platform's work (signatures, AES, XML, the API client); this package only
translates between it and the Gateway.
"""
