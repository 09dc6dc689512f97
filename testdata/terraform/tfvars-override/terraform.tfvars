# the vault contractor installed these
camera_vendor = "Dahua"
camera_ip     = "10.40.2.9"
