package exec

import (
	"context"

	"github.com/floedb/floe/chunk"
	"github.com/floedb/floe/state"
)

// msgKind is what a message carries.
type msgKind uint8

const (
	msgData      msgKind = iota // a chunk
	msgWatermark                // the sender's new output watermark
	msgStatus                   // the sender became idle or active
	msgEnd                      // the sender's end of input (its last message)
	msgBarrier                  // a checkpoint barrier: everything before it is in checkpoint id
)

// message travels from a sender subtask to a receiver subtask, through the receiver's input
// queue or, when chained, by a direct call.
type message struct {
	kind  msgKind
	idle  bool  // msgStatus
	input int   // index into the receiver's Node.Inputs
	ch    int   // the receiver's channel index of the (input, sender subtask) pair
	wm    int64 // msgWatermark
	id    int64 // msgBarrier: the checkpoint id
	c     *chunk.Chunk
}

// output is where a node subtask's output goes.
type output interface {
	emit(c *chunk.Chunk) error
	watermark(wm int64) error
	status(idle bool) error
	end() error
	barrier(id int64) error
}

// discardOutput is the output of a node that nothing reads.
type discardOutput struct{}

func (discardOutput) emit(*chunk.Chunk) error { return nil }
func (discardOutput) watermark(int64) error   { return nil }
func (discardOutput) status(bool) error       { return nil }
func (discardOutput) end() error              { return nil }
func (discardOutput) barrier(int64) error     { return nil }

// chainedOutput calls the next node of a chain directly, in the same goroutine.
type chainedOutput struct{ next *nodeTask }

func (o chainedOutput) emit(c *chunk.Chunk) error {
	return o.next.handle(message{kind: msgData, c: c})
}
func (o chainedOutput) watermark(wm int64) error {
	return o.next.handle(message{kind: msgWatermark, wm: wm})
}
func (o chainedOutput) status(idle bool) error {
	return o.next.handle(message{kind: msgStatus, idle: idle})
}
func (o chainedOutput) end() error { return o.next.handle(message{kind: msgEnd}) }
func (o chainedOutput) barrier(id int64) error {
	return o.next.handle(message{kind: msgBarrier, id: id})
}

// networkOutput sends to the input queues of the subtasks of every consumer.
type networkOutput struct {
	ctx   context.Context
	edges []*outEdge
}

// outEdge is one consumer edge seen from one sender subtask.
type outEdge struct {
	part    Partitioning
	keyCols []int
	sender  int // the sending subtask
	input   int // index into the receiver's Node.Inputs
	ch      int // the receivers' channel index for this sender
	targets []chan message
	rr      int     // next Rebalance target
	key     []byte  // Hash: key buffer
	sels    [][]int // Hash: row selection per target
}

func (o *networkOutput) send(ch chan message, m message) error {
	select {
	case ch <- m:
		return nil
	default:
	}
	select {
	case ch <- m:
		return nil
	case <-o.ctx.Done():
		return o.ctx.Err()
	}
}

func (o *networkOutput) emit(c *chunk.Chunk) error {
	for _, e := range o.edges {
		m := message{kind: msgData, input: e.input, ch: e.ch, c: c}
		var err error
		switch e.part {
		case Forward:
			err = o.send(e.targets[e.sender], m)
		case Global:
			err = o.send(e.targets[0], m)
		case Rebalance:
			err = o.send(e.targets[e.rr], m)
			e.rr = (e.rr + 1) % len(e.targets)
		case Broadcast:
			for _, t := range e.targets {
				if err = o.send(t, m); err != nil {
					break
				}
			}
		case Hash:
			err = o.hash(e, c)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// hash splits c by the key group of each row's key and sends each part to the subtask owning
// the group. A chunk whose rows all go to one subtask is sent whole, without copying.
func (o *networkOutput) hash(e *outEdge, c *chunk.Chunk) error {
	n := len(e.targets)
	if n == 1 {
		return o.send(e.targets[0], message{kind: msgData, input: e.input, ch: e.ch, c: c})
	}
	for t := range e.sels {
		e.sels[t] = e.sels[t][:0]
	}
	rows := c.Len()
	for r := range rows {
		e.key = chunk.EncodeKey(e.key[:0], c, e.keyCols, r)
		t := state.SubtaskForKeyGroup(state.KeyGroup(e.key), n)
		e.sels[t] = append(e.sels[t], r)
	}
	for t, sel := range e.sels {
		if len(sel) == 0 {
			continue
		}
		part := c
		if len(sel) != rows {
			part = c.Select(sel)
		}
		if err := o.send(e.targets[t], message{kind: msgData, input: e.input, ch: e.ch, c: part}); err != nil {
			return err
		}
	}
	return nil
}

// control sends a non-data message to every connected receiver: the same-numbered subtask
// over a Forward edge, every subtask otherwise (also for Global, whose other subtasks get no
// data but must still see watermarks and the end of input).
func (o *networkOutput) control(m message) error {
	for _, e := range o.edges {
		m.input, m.ch = e.input, e.ch
		if e.part == Forward {
			if err := o.send(e.targets[e.sender], m); err != nil {
				return err
			}
			continue
		}
		for _, t := range e.targets {
			if err := o.send(t, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *networkOutput) watermark(wm int64) error {
	return o.control(message{kind: msgWatermark, wm: wm})
}
func (o *networkOutput) status(idle bool) error {
	return o.control(message{kind: msgStatus, idle: idle})
}
func (o *networkOutput) end() error { return o.control(message{kind: msgEnd}) }
func (o *networkOutput) barrier(id int64) error {
	return o.control(message{kind: msgBarrier, id: id})
}
