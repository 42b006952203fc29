class Account:
    def __init__(self, balance):
        self.balance = balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise ValueError("insufficient funds")
        self.balance -= amount

accounts = [Account(10), Account(5)]
for acc in accounts:
    acc.withdraw(7)
