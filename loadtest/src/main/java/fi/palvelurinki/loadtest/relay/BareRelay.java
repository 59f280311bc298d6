package fi.palvelurinki.loadtest.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The physical ceiling for the load test: a bare Netty WebSocket relay at {@code /relay?pair=KEY} with no
 * authentication, parsing or numbering. The first two connections with the same key are paired and each
 * text frame one sends is written, as it is, to the other. Run as its own process
 * ({@link #main}: prints {@code bare relay listening on PORT}) so that it can be pinned to the server's core.
 */
public final class BareRelay implements AutoCloseable {
    private static final AttributeKey<Channel> PEER = AttributeKey.valueOf("peer");

    private final EventLoopGroup group;
    private final Channel server;
    private final ConcurrentHashMap<String, Channel> waiting = new ConcurrentHashMap<>();

    public BareRelay(String host, int port, int threads) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder().websocketPath("/relay")
                .checkStartsWith(true).subprotocols("palvelurinki.v1").maxFramePayloadLength(1 << 16).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketServerProtocolHandler(ws), new Relay());
                    }
                }).bind(host, port).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private final class Relay extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        Relay() {
            super(false);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                String uri = hc.requestUri();
                int i = uri.indexOf("pair=");
                String pair = i < 0 ? "" : uri.substring(i + 5);
                Channel me = ctx.channel();
                Channel other = waiting.remove(pair);
                if (other == null) {
                    Channel raced = waiting.putIfAbsent(pair, me);
                    if (raced != null && waiting.remove(pair, raced)) {
                        link(me, raced);
                    }
                } else {
                    link(me, other);
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        private void link(Channel a, Channel b) {
            a.attr(PEER).set(b);
            b.attr(PEER).set(a);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            Channel peer = ctx.channel().attr(PEER).get();
            if (peer == null) {
                frame.release();
                return;
            }
            peer.writeAndFlush(frame, peer.voidPromise());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            waiting.values().remove(ctx.channel());
            super.channelInactive(ctx);
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** {@code BareRelay [port [threads]]}: runs until killed. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        BareRelay relay = new BareRelay("127.0.0.1", port, threads);
        System.out.println("bare relay listening on " + relay.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
