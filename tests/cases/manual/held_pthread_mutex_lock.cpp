// pthread_mutex_lock / pthread_mutex_unlock around an await.
#include <pthread.h>
#include "coro.h"

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table_rows = 0;

demo::Task<void> insert(int row) {
  pthread_mutex_lock(&table_lock);
  table_rows += row;
  co_await demo::write_socket(table_rows);  // expect: lock-across-suspend
  pthread_mutex_unlock(&table_lock);
}
