"""The health service's rules in pure Python: service standards, rounds, observation clocks."""
