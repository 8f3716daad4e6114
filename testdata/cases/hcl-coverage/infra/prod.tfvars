flow_logs   = true
log_buckets = true
grants      = ["reader", "auditor", "billing"]
