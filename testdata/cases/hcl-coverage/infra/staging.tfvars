flow_logs   = false
log_buckets = false
grants      = ["reader", "auditor"]
