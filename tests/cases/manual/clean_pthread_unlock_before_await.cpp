// The pthread mutex is unlocked before the await.
#include <pthread.h>
#include "coro.h"

struct Table {
  pthread_mutex_t lock;
  int rows;
};

demo::Task<void> insert(Table* t, int row) {
  pthread_mutex_lock(&t->lock);
  t->rows += row;
  int rows = t->rows;
  pthread_mutex_unlock(&t->lock);
  co_await demo::write_socket(rows);
}
