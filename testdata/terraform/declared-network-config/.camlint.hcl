network "control-room" {
  cidrs  = ["10.90.0.0/16"]
  reason = "control room LAN (security policy SP-12)"
}
