size      = "small"
min       = 1
ports     = [8443]
fixed_cpu = false
open_ports = [22]
