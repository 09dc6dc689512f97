# Cameras registered in NetBox.

resource "netbox_manufacturer" "axis" {
  name = "Axis Communications"
}

resource "netbox_manufacturer" "hikvision" {
  name = "Hikvision"
}

resource "netbox_device_type" "axis_dome" {
  model           = "P3245-LVE"
  manufacturer_id = netbox_manufacturer.axis.id
}

resource "netbox_device_type" "hik_bullet" {
  model           = var.gate_camera_model
  manufacturer_id = netbox_manufacturer.hikvision.id
}

resource "netbox_device_role" "camera" {
  name = "Camera"
}

# Operations centre, wall 2. Replaced a Dahua unit in 2024.
resource "netbox_device" "ops_wall_2" {
  name           = "ops-wall-cam-2"
  device_type_id = netbox_device_type.axis_dome.id
  role_id        = netbox_device_role.camera.id
}

resource "netbox_device_interface" "ops_wall_2" {
  name        = "eth0"
  device_id   = netbox_device.ops_wall_2.id
  mac_address = "00:40:8C:12:34:56"
}

resource "netbox_ip_address" "ops_wall_2" {
  ip_address          = "10.20.110.12/24"
  device_interface_id = netbox_device_interface.ops_wall_2.id
}

resource "netbox_device" "ops_door" {
  name           = "ops-door-cam"
  device_type_id = netbox_device_type.hik_bullet.id
  role_id        = netbox_device_role.camera.id
}

resource "netbox_device_interface" "ops_door" {
  name      = "eth0"
  device_id = netbox_device.ops_door.id
}

resource "netbox_ip_address" "ops_door" {
  ip_address          = "10.20.110.31/24"
  device_interface_id = netbox_device_interface.ops_door.id
}

resource "netbox_device" "car_park_1" {
  name           = "car-park-cam-1"
  device_type_id = netbox_device_type.hik_bullet.id
  role_id        = netbox_device_role.camera.id
}

resource "netbox_device_interface" "car_park_1" {
  name      = "eth0"
  device_id = netbox_device.car_park_1.id
}

resource "netbox_ip_address" "car_park_1" {
  ip_address          = "10.20.120.40/24"
  device_interface_id = netbox_device_interface.car_park_1.id
}
