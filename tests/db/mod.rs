mod pool;
