mod employees;
