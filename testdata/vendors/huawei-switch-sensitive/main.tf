resource "netbox_prefix" "secure" {
  prefix = "10.50.0.0/24"
  tags   = ["official-sensitive"]
}

resource "netbox_manufacturer" "huawei" {
  name = "Huawei"
}

resource "netbox_device_type" "s5735" {
  model           = "S5735-L24T4S-A"
  manufacturer_id = netbox_manufacturer.huawei.id
}

resource "netbox_device_role" "access" {
  name = "Access Switch"
}

resource "netbox_device" "floor3" {
  name           = "floor3-access"
  device_type_id = netbox_device_type.s5735.id
  role_id        = netbox_device_role.access.id
}

resource "netbox_device_interface" "floor3" {
  name      = "mgmt"
  device_id = netbox_device.floor3.id
}

resource "netbox_ip_address" "floor3" {
  ip_address          = "10.50.0.2/24"
  device_interface_id = netbox_device_interface.floor3.id
}

# A Hikvision PoE switch for the camera ring: covered equipment, not a camera.
resource "netbox_device_type" "ds3e" {
  model = "DS-3E0524P-E"
}

resource "netbox_device" "poe" {
  name           = "cctv-poe-1"
  device_type_id = netbox_device_type.ds3e.id
}

resource "netbox_device_interface" "poe" {
  name      = "mgmt"
  device_id = netbox_device.poe.id
}

resource "netbox_ip_address" "poe" {
  ip_address          = "10.50.0.3/24"
  device_interface_id = netbox_device_interface.poe.id
}

# Near miss: a Huawei router on an ordinary network is not reported.
resource "netbox_prefix" "guest" {
  prefix = "10.60.0.0/24"
  tags   = ["guest"]
}

resource "netbox_device_role" "edge" {
  name = "Router"
}

resource "netbox_device" "guest_edge" {
  name           = "guest-edge"
  device_type_id = netbox_device_type.s5735.id
  role_id        = netbox_device_role.edge.id
}

resource "netbox_device_interface" "guest_edge" {
  name      = "mgmt"
  device_id = netbox_device.guest_edge.id
}

resource "netbox_ip_address" "guest_edge" {
  ip_address          = "10.60.0.1/24"
  device_interface_id = netbox_device_interface.guest_edge.id
}
