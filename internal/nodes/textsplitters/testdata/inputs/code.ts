// Typed event bus with namespaces, used to exercise Flowise's extra "ts" separators.
export enum Priority {
    Low,
    Normal,
    High
}

export interface BusEvent<T = unknown> {
    topic: string
    payload: T
    priority: Priority
}

type Handler<T> = (event: BusEvent<T>) => void | Promise<void>

namespace Internal {
    export const separator = '.'
    export function topicParts(topic: string): string[] {
        return topic.split(separator).filter(Boolean)
    }
}

const MAX_HANDLERS = 100
let dispatched = 0

export class EventBus {
    private handlers = new Map<string, Handler<any>[]>()

    on<T>(topic: string, handler: Handler<T>): () => void {
        const list = this.handlers.get(topic) ?? []
        if (list.length >= MAX_HANDLERS) {
            throw new Error(`too many handlers for ${topic}`)
        }
        list.push(handler)
        this.handlers.set(topic, list)
        return () => this.off(topic, handler)
    }

    off<T>(topic: string, handler: Handler<T>): void {
        const list = this.handlers.get(topic)
        if (!list) return
        this.handlers.set(
            topic,
            list.filter((h) => h !== handler)
        )
    }

    async emit<T>(topic: string, payload: T, priority = Priority.Normal): Promise<number> {
        let delivered = 0
        const parts = Internal.topicParts(topic)
        for (let i = parts.length; i > 0; i--) {
            const prefix = parts.slice(0, i).join(Internal.separator)
            for (const handler of this.handlers.get(prefix) ?? []) {
                await handler({ topic, payload, priority })
                delivered++
            }
        }
        dispatched += delivered
        return delivered
    }
}

function describe(priority: Priority): string {
    switch (priority) {
        case Priority.High:
            return 'high'
        case Priority.Low:
            return 'low'
        default:
            return 'normal'
    }
}

var legacyBus: EventBus | undefined

while (dispatched < 0) {
    dispatched++
}

export { describe, legacyBus }
