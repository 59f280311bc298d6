package fi.palvelurinki.loadtest.ws;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's WebSocket client on Netty: a few event loops carry every connection, and each
 * connection's messages are paced on its own loop ({@link Conn#loop()}), so thousands of simulated
 * users cost a handful of threads. Authenticates with {@code Authorization: Bearer} and offers the
 * {@code palvelurinki.v1} subprotocol.
 */
public final class WsClient implements AutoCloseable {
    /** What a connection reports. Called on the connection's event loop, in order. */
    public interface Listener {
        void onText(Conn c, String text);

        void onClose(Conn c);
    }

    /** One open WebSocket. */
    public static final class Conn {
        private final Channel channel;
        private volatile boolean closedByUs;

        Conn(Channel channel) {
            this.channel = channel;
        }

        public void send(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }

        public EventLoop loop() {
            return channel.eventLoop();
        }

        public boolean open() {
            return channel.isActive();
        }

        /** Drops the TCP connection without a close handshake, as a lost network would. */
        public void drop() {
            closedByUs = true;
            channel.close();
        }

        public boolean closedByUs() {
            return closedByUs;
        }
    }

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    public WsClient(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    /** The loop a new client is to live on (round robin). */
    public EventLoop nextLoop() {
        return group.next();
    }

    /** Opens {@code uri} with {@code token}; completes once the upgrade succeeded (fails on 401 etc.). */
    public CompletableFuture<Conn> connect(URI uri, String token, Listener listener) {
        return connect(uri, token, listener, group.next());
    }

    /**
     * As {@link #connect(URI, String, Listener)}, on the given loop: a client that reconnects keeps its
     * loop, so that everything it does stays on one thread. The future completes on that loop.
     */
    public CompletableFuture<Conn> connect(URI uri, String token, Listener listener, EventLoop loop) {
        CompletableFuture<Conn> done = new CompletableFuture<>();
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Authorization", "Bearer " + token);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol("palvelurinki.v1")
                .customHeaders(headers)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(60_000)
                .dropPongFrames(true)
                .build();
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        Bootstrap b = bootstrap.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) throws Exception {
                Handler h = new Handler(listener, done);
                if (tls) {
                    io.netty.handler.ssl.SslHandler ssl = fi.palvelurinki.loadtest.TlsFront.nettyClient()
                            .newHandler(ch.alloc(), uri.getHost(), port);
                    // As long as the WebSocket handshake may take: a storm of TLS handshakes queues at the server.
                    ssl.setHandshakeTimeoutMillis(60_000);
                    ch.pipeline().addLast(ssl);
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(1 << 20), h);
            }
        });
        b.connect(uri.getHost(), port).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    private static final class Handler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final Listener listener;
        private final CompletableFuture<Conn> done;
        private Conn conn;

        Handler(Listener listener, CompletableFuture<Conn> done) {
            this.listener = listener;
            this.done = done;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                conn = new Conn(ctx.channel());
                done.complete(conn);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                done.completeExceptionally(new java.io.IOException("WebSocket handshake timed out"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            listener.onText(conn, frame.text());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (!done.isDone()) {
                done.completeExceptionally(new java.io.IOException("connection closed before the upgrade"));
            } else if (conn != null) {
                listener.onClose(conn);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done.isDone()) {
                done.completeExceptionally(cause);
            }
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
