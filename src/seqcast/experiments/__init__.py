"""The book's and the course's tables, as data, and the runner that trains them."""
