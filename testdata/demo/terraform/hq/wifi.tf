# UniFi clients with fixed addresses.

resource "unifi_network" "control_room" {
  name    = "CONTROL-ROOM"
  purpose = "corporate"
  subnet  = "10.10.4.0/24"
  vlan_id = 40
}

resource "unifi_user" "control_room_ptz" {
  name       = "control-room-ptz"
  mac        = "90:02:a9:4e:11:02"
  fixed_ip   = "10.10.4.20"
  network_id = unifi_network.control_room.id
  note       = "ceiling PTZ"
}
