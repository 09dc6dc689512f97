# camlint configuration for the demo estate.

settings {
  packs   = ["uk-prc-nil", "us-fcc-covered"]
  fail_on = "error"
}

# The control room LAN is sensitive whatever the sources say about it.
network "control-room" {
  cidrs  = ["10.10.0.0/20"]
  reason = "control room LAN (physical security policy PS-4)"
}

# VLAN 300 is the visitor Wi-Fi: not sensitive even though its name
# mentions a secure building.
network "visitor-wifi" {
  vlans     = [300]
  sensitive = false
  reason    = "visitor Wi-Fi, isolated from the core network"
}
