"""(front door: filled in below)"""
