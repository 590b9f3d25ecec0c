package io.multihome.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** A parsed run of attributes, in wire order. */
public record Attrs(List<Attr> list) {

  /**
   * Walks attributes, rejecting any whose length is below the 4-byte header or beyond what remains.
   * Trailing bytes shorter than a header are padding and ignored.
   */
  public static Attrs parse(ByteBuffer data) {
    var in = data.duplicate().order(ByteOrder.nativeOrder());
    int base = in.position();
    int end = in.limit();
    int pos = base;
    var out = new ArrayList<Attr>();
    while (end - pos >= 4) {
      int len = Short.toUnsignedInt(in.getShort(pos));
      int rawType = Short.toUnsignedInt(in.getShort(pos + 2));
      if (len < 4 || len > end - pos) {
        throw new MalformedMessageException(
            "attribute "
                + (rawType & Rtnl.NLA_TYPE_MASK)
                + " length "
                + len
                + " does not fit "
                + (end - pos)
                + " bytes");
      }
      var value =
          in.duplicate().position(pos + 4).limit(pos + len).slice().order(ByteOrder.nativeOrder());
      out.add(new Attr(rawType & Rtnl.NLA_TYPE_MASK, (rawType & Rtnl.NLA_F_NESTED) != 0, value));
      pos += MessageBuilder.align(len);
    }
    return new Attrs(List.copyOf(out));
  }

  /** The first attribute of this type, or null. */
  public Attr find(int type) {
    for (Attr a : list) {
      if (a.type() == type) {
        return a;
      }
    }
    return null;
  }

  public List<Attr> all(int type) {
    return list.stream().filter(a -> a.type() == type).toList();
  }

  public Integer u8(int type) {
    Attr a = find(type);
    return a == null ? null : a.u8();
  }

  public Integer u16(int type) {
    Attr a = find(type);
    return a == null ? null : a.u16();
  }

  public Integer u32(int type) {
    Attr a = find(type);
    return a == null ? null : a.u32();
  }

  public String string(int type) {
    Attr a = find(type);
    return a == null ? null : a.string();
  }

  public Attrs nested(int type) {
    Attr a = find(type);
    return a == null ? new Attrs(List.of()) : a.nestedAttrs();
  }
}
