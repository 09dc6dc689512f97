# Device kinds and the words (whole words, any case) that reveal them in
# roles, names and descriptions. `surveillance = true` kinds are what the
# camera rules cover.

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
  words = ["intercom", "door station", "doorbell", "video doorbell", "indoor station", "vto", "vth"]
}

kind "access-control" {
  words = ["access control", "card reader", "turnstile", "door controller", "face terminal"]
}

kind "network" {
  words = ["switch", "router", "firewall", "gateway", "access point", "olt", "ont", "cpe"]
}

kind "radio" {
  words = ["radio", "repeater", "dmr", "tetra", "two-way radio"]
}
