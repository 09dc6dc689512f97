# Makers that no built-in pack restricts. They are listed so that a
# device named as theirs counts as having a vendor signal (it is not an
# unverified camera) and so that the inventory names them. Plain names
# only: model patterns for these makers are not needed to clear them.

vendor "axis" {
  name          = "Axis Communications"
  aliases       = ["Axis", "Axis Communications"]
  kinds         = ["camera", "nvr", "encoder", "intercom"]
  restricted_by = []
}

vendor "bosch" {
  name          = "Bosch Security Systems"
  aliases       = ["Bosch", "Bosch Security"]
  kinds         = ["camera", "nvr", "encoder"]
  restricted_by = []
}

vendor "hanwha" {
  name          = "Hanwha Vision"
  aliases       = ["Hanwha", "Hanwha Vision", "Hanwha Techwin", "Wisenet", "Samsung Techwin"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "avigilon" {
  name          = "Avigilon"
  aliases       = ["Avigilon"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "mobotix" {
  name          = "Mobotix"
  aliases       = ["Mobotix"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "vivotek" {
  name          = "Vivotek"
  aliases       = ["Vivotek"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "sony" {
  name          = "Sony"
  aliases       = ["Sony"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "i-pro" {
  name          = "i-PRO"
  aliases       = ["i-PRO", "i-PRO Co"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "panasonic" {
  name          = "Panasonic"
  aliases       = ["Panasonic"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "pelco" {
  name          = "Pelco"
  aliases       = ["Pelco"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "verkada" {
  name          = "Verkada"
  aliases       = ["Verkada"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "meraki" {
  name          = "Cisco Meraki"
  aliases       = ["Meraki", "Cisco Meraki"]
  kinds         = ["camera", "network"]
  restricted_by = []
}

vendor "ubiquiti" {
  name          = "Ubiquiti"
  aliases       = ["Ubiquiti", "UniFi Protect", "UniFi"]
  kinds         = ["camera", "nvr", "network"]
  restricted_by = []
}

vendor "genetec" {
  name          = "Genetec"
  aliases       = ["Genetec"]
  kinds         = ["nvr"]
  restricted_by = []
}

vendor "digital-watchdog" {
  name          = "Digital Watchdog"
  aliases       = ["Digital Watchdog", "DW Spectrum"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "acti" {
  name          = "ACTi"
  aliases       = ["ACTi"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "arecont" {
  name          = "Arecont Vision"
  aliases       = ["Arecont", "Arecont Vision"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "idis" {
  name          = "IDIS"
  aliases       = ["IDIS"]
  kinds         = ["camera", "nvr"]
  restricted_by = []
}

vendor "illustra" {
  name          = "Illustra"
  aliases       = ["Illustra"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "oncam" {
  name          = "Oncam"
  aliases       = ["Oncam"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "march-networks" {
  name          = "March Networks"
  aliases       = ["March Networks"]
  kinds         = ["nvr"]
  restricted_by = []
}

vendor "2n" {
  name          = "2N"
  aliases       = ["2N Telekomunikace", "2N Helios"]
  kinds         = ["intercom"]
  restricted_by = []
}

vendor "rhombus" {
  name          = "Rhombus"
  aliases       = ["Rhombus"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "flir" {
  name          = "Teledyne FLIR"
  aliases       = ["Teledyne FLIR"]
  kinds         = ["camera"]
  restricted_by = []
}

vendor "milestone" {
  name          = "Milestone Systems"
  aliases       = ["Milestone"]
  kinds         = ["nvr"]
  restricted_by = []
}

vendor "cisco" {
  name          = "Cisco"
  aliases       = ["Cisco"]
  kinds         = ["network"]
  restricted_by = []
}

vendor "juniper" {
  name          = "Juniper Networks"
  aliases       = ["Juniper"]
  kinds         = ["network"]
  restricted_by = []
}

vendor "arista" {
  name          = "Arista Networks"
  aliases       = ["Arista"]
  kinds         = ["network"]
  restricted_by = []
}

vendor "synology" {
  name          = "Synology"
  aliases       = ["Synology"]
  kinds         = ["nvr"]
  restricted_by = []
}

vendor "qnap" {
  name          = "QNAP"
  aliases       = ["QNAP"]
  kinds         = ["nvr"]
  restricted_by = []
}
