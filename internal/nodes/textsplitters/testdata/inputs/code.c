/* ring.c: a fixed-size ring buffer of integers, used for the "c" separators. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ring {
    int *data;
    size_t head;
    size_t tail;
    size_t len;
    size_t cap;
};

enum ring_status { RING_OK, RING_FULL, RING_EMPTY };

union number {
    int i;
    float f;
};

struct ring *ring_new(size_t cap)
{
    struct ring *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->data = calloc(cap, sizeof *r->data);
    if (r->data == NULL) {
        free(r);
        return NULL;
    }
    r->cap = cap;
    return r;
}

void ring_free(struct ring *r)
{
    if (r == NULL)
        return;
    free(r->data);
    free(r);
}

int ring_push(struct ring *r, int v)
{
    if (r->len == r->cap)
        return RING_FULL;
    r->data[r->tail] = v;
    r->tail = (r->tail + 1) % r->cap;
    r->len++;
    return RING_OK;
}

int ring_pop(struct ring *r, int *out)
{
    if (r->len == 0)
        return RING_EMPTY;
    *out = r->data[r->head];
    r->head = (r->head + 1) % r->cap;
    r->len--;
    return RING_OK;
}

double ring_mean(const struct ring *r)
{
    double sum = 0;
    size_t i;
    for (i = 0; i < r->len; i++)
        sum += r->data[(r->head + i) % r->cap];
    return r->len ? sum / r->len : 0.0;
}

int main(void)
{
    struct ring *r = ring_new(4);
    int v;
    for (v = 1; v <= 6; v++) {
        switch (ring_push(r, v)) {
        case RING_FULL:
            printf("full at %d\n", v);
            break;
        default:
            break;
        }
    }
    while (ring_pop(r, &v) == RING_OK)
        printf("%d\n", v);
    ring_free(r);
    return 0;
}
