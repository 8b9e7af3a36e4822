// Imported first by benchmarks: info logs per action would cost more than what is measured.
process.env.LOG_LEVEL ??= 'warn';
