// Inventory service: a tiny in-memory store with events.
import { EventEmitter } from 'node:events'

const DEFAULT_LIMIT = 50
let nextId = 1

function makeId(prefix) {
    return `${prefix}-${nextId++}`
}

class Inventory extends EventEmitter {
    constructor(items = []) {
        super()
        this.items = new Map()
        for (const item of items) {
            this.add(item)
        }
    }

    add(item) {
        if (!item || typeof item.name !== 'string') {
            throw new TypeError('item needs a name')
        }
        const id = item.id ?? makeId('item')
        this.items.set(id, { ...item, id, quantity: item.quantity ?? 0 })
        this.emit('added', id)
        return id
    }

    remove(id) {
        const existed = this.items.delete(id)
        if (existed) this.emit('removed', id)
        return existed
    }

    adjust(id, delta) {
        const item = this.items.get(id)
        if (!item) throw new Error(`no item ${id}`)
        const quantity = item.quantity + delta
        if (quantity < 0) {
            throw new RangeError(`quantity of ${item.name} would drop below zero`)
        }
        item.quantity = quantity
        this.emit('adjusted', id, quantity)
        return quantity
    }

    list({ limit = DEFAULT_LIMIT, offset = 0 } = {}) {
        return [...this.items.values()].slice(offset, offset + limit)
    }
}

var legacyCounter = 0

function lowStock(inventory, threshold) {
    const out = []
    for (const item of inventory.list({ limit: Infinity })) {
        if (item.quantity <= threshold) out.push(item)
    }
    return out
}

while (legacyCounter < 3) {
    legacyCounter++
}

switch (process.env.INVENTORY_MODE) {
case 'demo':
    console.log('demo mode')
    break
default:
    console.log('normal mode')
}

export { Inventory, lowStock, makeId }
