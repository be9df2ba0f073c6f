"""先锋 Xianfeng — party-building-led grassroots governance."""
