package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The primitive index table behaves like a map from index to handshake or keypair. Indices land in
 * slots by their low bits, so the small table sees many collisions, probe runs and back-shifts.
 */
class IndexTableTest {
    @Property(tries = 200)
    void behavesLikeAHashMap(@ForAll @Size(max = 500) List<@IntRange(min = 0, max = 3) Integer> operations,
                             @ForAll long seed) {
        IndexTable table = new IndexTable();
        Map<Integer, Indexed> model = new HashMap<>();
        List<Integer> known = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);

        for (int operation : operations) {
            switch (operation) {
                case 0, 1 -> {
                    Indexed target = new Handshake(null);
                    int index = table.allocate(target, random);
                    assertThat(index).isNotZero();
                    assertThat(model).doesNotContainKey(index);
                    model.put(index, target);
                    known.add(index);
                }
                case 2 -> {
                    if (!known.isEmpty()) {
                        int index = known.remove(random.nextInt(known.size()));
                        table.remove(index);
                        model.remove(index);
                    }
                }
                default -> {
                    if (!known.isEmpty()) {
                        int index = known.get(random.nextInt(known.size()));
                        Indexed replacement = new Handshake(null);
                        table.replace(index, replacement);
                        model.put(index, replacement);
                    }
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
            model.forEach((index, target) -> assertThat(table.get(index)).isSameAs(target));
            int absent = random.nextInt();
            if (!model.containsKey(absent)) {
                assertThat(table.get(absent)).isNull();
            }
            assertThat(table.get(0)).isNull();
        }
    }
}
