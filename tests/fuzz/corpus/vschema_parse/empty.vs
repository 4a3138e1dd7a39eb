schema a;
