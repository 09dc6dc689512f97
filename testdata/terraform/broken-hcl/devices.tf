resource "netbox_device_type" "cam" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.hik.id
}

resource "netbox_device" "cam" {
  name           = "broken-site-cam"
  device_type_id = netbox_device_type.cam.id
}
