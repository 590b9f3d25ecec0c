package io.multihome.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DumpAssemblerTest {
  private static final Request LIST =
      new Request("link list", "", Rtnl.RTM_GETLINK, 0, b -> IfInfoMsg.of(0, 0).write(b));

  private static NlMessage msg(int type, int flags, int seq, int payloadInt) {
    var b = new MessageBuilder();
    b.begin(type, flags, seq).u32(payloadInt).end();
    return NlMessage.parseAll(ByteBuffer.wrap(b.toBytes())).get(0);
  }

  @Test
  void collectsMultipartUntilDoneIgnoringOtherSequences() {
    var d = new DumpAssembler(LIST, 5);
    assertThat(
            d.accept(
                List.of(
                    msg(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI, 5, 1),
                    msg(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI, 4, 2))))
        .isFalse();
    assertThat(
            d.accept(
                List.of(
                    msg(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI, 5, 3),
                    msg(Rtnl.NLMSG_DONE, Rtnl.NLM_F_MULTI, 5, 0))))
        .isTrue();
    assertThat(d.messages()).hasSize(2);
    assertThat(d.interrupted()).isFalse();
  }

  @Test
  void notesDumpInterrupted() {
    var d = new DumpAssembler(LIST, 5);
    d.accept(List.of(msg(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_MULTI | Rtnl.NLM_F_DUMP_INTR, 5, 1)));
    assertThat(d.accept(List.of(msg(Rtnl.NLMSG_DONE, Rtnl.NLM_F_MULTI, 5, 0)))).isTrue();
    assertThat(d.interrupted()).isTrue();
  }

  @Test
  void errorInDoneBecomesException() {
    var d = new DumpAssembler(LIST, 5);
    assertThatThrownBy(() -> d.accept(List.of(msg(Rtnl.NLMSG_DONE, Rtnl.NLM_F_MULTI, 5, -16))))
        .isInstanceOf(NetlinkException.class)
        .hasMessage("link list: EBUSY: Device or resource busy");
  }
}
