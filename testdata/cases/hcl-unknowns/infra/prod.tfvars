size      = "large"
min       = 3
ports     = [443]
fixed_cpu = true
open_ports = []
