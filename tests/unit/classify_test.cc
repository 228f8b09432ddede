#include <gtest/gtest.h>

#include "classify/classify.h"

TEST(Classify, ClassOf) { EXPECT_EQ(sohoa::classify::class_of("don"), "single_use"); }
