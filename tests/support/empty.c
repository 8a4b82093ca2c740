/* Keeps the test-support library non-empty before any support file exists. */
typedef int smac_test_support_empty;
