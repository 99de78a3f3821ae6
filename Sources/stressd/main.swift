print("stressd")
