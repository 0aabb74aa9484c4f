"""The alerts function: an hourly detector of spikes, first-seen claims and sentiment dips in the trend counters."""
