def greet(name):
    message = f"Hello, {name}!"
    return message
