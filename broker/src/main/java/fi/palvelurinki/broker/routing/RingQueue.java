package fi.palvelurinki.broker.routing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A ring's waiting requests in order of service ({@link RequestState#ORDER}), with each one's place
 * found in O(log n): an AVL tree whose nodes count their subtrees, so a queue of 100,000 answers "where
 * is this request" without walking it (a walk per request made a restart with n waiting O(n²)).
 *
 * <p>Its own tree rather than Guava's {@code TreeMultiset} (used here before): that one allocates an
 * entry object per element on every walk of its element set and checks range bounds at every step, and
 * the queue-update walk and the matcher's walk from the head were the broker thread's biggest cost in
 * profiles of {@code bench routing} past saturation. Walking this one allocates one small stack per walk.
 * Each request is in it at most once; a request's priority and id never change while it is queued.
 */
final class RingQueue implements Iterable<RequestState> {
    private static final class Node {
        final RequestState r;
        Node left;
        Node right;
        int height = 1;
        int size = 1;

        Node(RequestState r) {
            this.r = r;
        }
    }

    private Node root;
    /** Set by {@link #insert} and {@link #delete} when they changed the tree. */
    private boolean changed;

    /** Adds {@code r} unless it is queued already. */
    boolean add(RequestState r) {
        changed = false;
        root = insert(root, r);
        return changed;
    }

    boolean remove(RequestState r) {
        changed = false;
        root = delete(root, r);
        return changed;
    }

    int size() {
        return size(root);
    }

    boolean isEmpty() {
        return root == null;
    }

    /** 1 = next to be served; 0 when {@code r} is not in this queue. */
    int positionOf(RequestState r) {
        int before = 0;
        Node n = root;
        while (n != null) {
            int c = RequestState.ORDER.compare(r, n.r);
            if (c == 0) {
                return before + size(n.left) + 1;
            }
            if (c < 0) {
                n = n.left;
            } else {
                before += size(n.left) + 1;
                n = n.right;
            }
        }
        return 0;
    }

    /** Requests ahead of {@code r} in order of service (whether or not {@code r} is queued). */
    int countBefore(RequestState r) {
        int before = 0;
        Node n = root;
        while (n != null) {
            int c = RequestState.ORDER.compare(r, n.r);
            if (c == 0) {
                return before + size(n.left);
            }
            if (c < 0) {
                n = n.left;
            } else {
                before += size(n.left) + 1;
                n = n.right;
            }
        }
        return before;
    }

    /** From {@code r} (or where it would stand) to the end, in order of service. */
    Iterator<RequestState> from(RequestState r) {
        Walk w = new Walk(root);
        Node n = root;
        while (n != null) {
            if (RequestState.ORDER.compare(n.r, r) >= 0) {
                w.push(n);
                n = n.left;
            } else {
                n = n.right;
            }
        }
        return w;
    }

    /** In order of service. */
    @Override
    public Iterator<RequestState> iterator() {
        Walk w = new Walk(root);
        w.pushLeftmost(root);
        return w;
    }

    /**
     * In-order walk with an explicit stack of the nodes still to visit (an AVL tree of height h holds
     * at most h of them). The tree must not change during the walk; no caller changes it.
     */
    private static final class Walk implements Iterator<RequestState> {
        private final Node[] stack;
        private int top;

        Walk(Node root) {
            stack = new Node[root == null ? 1 : root.height];
        }

        void push(Node n) {
            stack[top++] = n;
        }

        void pushLeftmost(Node n) {
            while (n != null) {
                stack[top++] = n;
                n = n.left;
            }
        }

        @Override
        public boolean hasNext() {
            return top > 0;
        }

        @Override
        public RequestState next() {
            if (top == 0) {
                throw new NoSuchElementException();
            }
            Node n = stack[--top];
            stack[top] = null;
            pushLeftmost(n.right);
            return n.r;
        }
    }

    // ------------------------------------------------------------------ the AVL tree

    private static int size(Node n) {
        return n == null ? 0 : n.size;
    }

    private static int height(Node n) {
        return n == null ? 0 : n.height;
    }

    private Node insert(Node n, RequestState r) {
        if (n == null) {
            changed = true;
            return new Node(r);
        }
        int c = RequestState.ORDER.compare(r, n.r);
        if (c == 0) {
            return n;
        }
        if (c < 0) {
            n.left = insert(n.left, r);
        } else {
            n.right = insert(n.right, r);
        }
        return changed ? balance(n) : n;
    }

    private Node delete(Node n, RequestState r) {
        if (n == null) {
            return null;
        }
        int c = RequestState.ORDER.compare(r, n.r);
        if (c < 0) {
            n.left = delete(n.left, r);
        } else if (c > 0) {
            n.right = delete(n.right, r);
        } else {
            changed = true;
            if (n.left == null) {
                return n.right;
            }
            if (n.right == null) {
                return n.left;
            }
            // The successor takes n's place (nodes keep their request: relinked, not copied).
            Node successor = n.right;
            while (successor.left != null) {
                successor = successor.left;
            }
            successor.right = deleteMin(n.right);
            successor.left = n.left;
            n = successor;
        }
        return changed ? balance(n) : n;
    }

    private static Node deleteMin(Node n) {
        if (n.left == null) {
            return n.right;
        }
        n.left = deleteMin(n.left);
        return balance(n);
    }

    private static void update(Node n) {
        n.height = 1 + Math.max(height(n.left), height(n.right));
        n.size = 1 + size(n.left) + size(n.right);
    }

    private static Node balance(Node n) {
        update(n);
        int skew = height(n.left) - height(n.right);
        if (skew > 1) {
            if (height(n.left.left) < height(n.left.right)) {
                n.left = rotateLeft(n.left);
            }
            return rotateRight(n);
        }
        if (skew < -1) {
            if (height(n.right.right) < height(n.right.left)) {
                n.right = rotateRight(n.right);
            }
            return rotateLeft(n);
        }
        return n;
    }

    private static Node rotateRight(Node n) {
        Node l = n.left;
        n.left = l.right;
        l.right = n;
        update(n);
        update(l);
        return l;
    }

    private static Node rotateLeft(Node n) {
        Node r = n.right;
        n.right = r.left;
        r.left = n;
        update(n);
        update(r);
        return r;
    }
}
