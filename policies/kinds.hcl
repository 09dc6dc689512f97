# Device kinds and the words (whole words, any case) that reveal them in
# roles, names and descriptions. `surveillance = true` kinds are what the
# camera rules cover. A device's kind comes from its role first, then from
# a model pattern that implies one (Hikvision DS-3E… is a switch), then from
# these words in its name, description, model or tags; else it is
# `unknown`, and the camera rules judge it by its maker's main line.

kind "camera" {
  surveillance = true
  words = ["camera", "cameras", "cam", "cams", "ipcam", "ip-cam", "ipc", "cctv", "ptz", "dome", "bullet", "turret", "fisheye", "webcam", "surveillance", "video surveillance", "thermal camera", "anpr", "lpr"]
}

kind "nvr" {
  surveillance = true
  words = ["nvr", "network video recorder", "vms", "video recorder"]
}

kind "dvr" {
  surveillance = true
  words = ["dvr", "xvr", "hvr", "digital video recorder"]
}

kind "encoder" {
  surveillance = true
  words = ["video encoder", "encoder", "decoder"]
}

kind "intercom" {
  words = ["intercom", "door station", "doorbell", "video doorbell", "indoor station", "indoor monitor", "vto", "vth"]
}

kind "access-control" {
  words = ["access control", "access controller", "card reader", "turnstile", "door controller", "face terminal", "face recognition terminal"]
}

kind "network" {
  words = ["switch", "poe switch", "router", "firewall", "gateway", "access point", "wireless access point", "wlan", "olt", "ont", "onu", "cpe", "modem", "load balancer"]
}

kind "radio" {
  words = ["radio", "repeater", "dmr", "tetra", "two-way radio", "walkie-talkie", "dispatch console"]
}
